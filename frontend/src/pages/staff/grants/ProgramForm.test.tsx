import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import dayjs from "dayjs";
import type { CombinedError } from "urql";

import type { GrantProgramInput } from "../../../gql/graphql";
import { renderPage } from "../../../test/render";
import { ProgramForm } from "./ProgramForm";
import { emptyProgram, formPath, programValues, toProgramInput } from "./programForm";

const reviewers = {
  StaffGrantsProgramFormReviewers: {
    data: {
      reviewers: [
        { reviewerId: "rev-ana", name: "Ana", homeMemberName: "Bend", active: true },
        { reviewerId: "rev-ben", name: "Ben", homeMemberName: "Ithaca", active: true },
      ],
    },
  },
};

function show(onSave = vi.fn(async (_input: GrantProgramInput): Promise<CombinedError | undefined> => undefined)) {
  const initialValues = emptyProgram(dayjs("2030-03-01T12:00:00"));
  renderPage(<ProgramForm initialValues={initialValues} submitLabel="Create draft" onSave={onSave} />, {
    path: "/staff/grants/new",
    as: { role: "staff" },
    answers: reviewers,
  });
  return onSave;
}

const row = (n: number) => screen.getByRole("group", { name: `Criterion ${n}` });

async function fillMinimum() {
  const user = userEvent.setup({ delay: null });
  await user.type(screen.getByLabelText(/^Programme name/), "Youth exchanges");
  await user.click(screen.getByLabelText("Youth and education"));
  await user.type(screen.getByLabelText(/^Total budget/), "20000");
  await user.type(screen.getByLabelText(/^Maximum award/), "5000");
  await user.type(within(row(1)).getByLabelText(/^Criterion name/), "Impact");
  return user;
}

// A long form: jsdom is slow to query it on a busy machine.
vi.setConfig({ testTimeout: 40_000 });

describe("the programme form", () => {
  it("adds and removes rubric rows, showing each weight's share", async () => {
    const user = userEvent.setup({ delay: null });
    show();
    expect(screen.getAllByRole("group", { name: /^Criterion \d/ })).toHaveLength(1);
    expect(within(row(1)).getByRole("button", { name: "Remove criterion 1" })).toBeDisabled();
    await user.click(screen.getByText("Add criterion"));
    await user.click(screen.getByText("Add criterion"));
    expect(screen.getAllByRole("group", { name: /^Criterion \d/ })).toHaveLength(3);
    const weight = within(row(1)).getByLabelText(/^Weight/);
    await user.clear(weight);
    await user.type(weight, "2");
    expect(within(row(1)).getByText("50% of the total")).toBeInTheDocument();
    expect(within(row(2)).getByText("25% of the total")).toBeInTheDocument();
    await user.click(within(row(2)).getByRole("button", { name: "Remove criterion 2" }));
    expect(screen.getAllByRole("group", { name: /^Criterion \d/ })).toHaveLength(2);
    expect(within(row(2)).getByText("33.3% of the total")).toBeInTheDocument();
  });

  it("puts each validation error next to its field and sends nothing", async () => {
    const user = userEvent.setup({ delay: null });
    const onSave = show();
    await user.type(screen.getByLabelText(/^Total budget/), "1000");
    await user.type(screen.getByLabelText(/^Maximum award/), "5000");
    await user.click(screen.getByText("Add criterion"));
    await user.type(within(row(1)).getByLabelText(/^Key/), "impact");
    await user.type(within(row(2)).getByLabelText(/^Key/), "impact");
    const maxScore = within(row(2)).getByLabelText(/^Maximum score/);
    await user.clear(maxScore);
    await user.type(maxScore, "200");
    await user.click(screen.getByText("Create draft"));

    expect(screen.getByLabelText(/^Programme name/)).toHaveAccessibleDescription(/Give the programme a name/);
    expect(screen.getByText("Choose at least one programme area")).toBeInTheDocument();
    expect(screen.getByLabelText(/^Maximum award/)).toHaveAccessibleDescription(
      /Cannot exceed the total budget/,
    );
    expect(within(row(2)).getByLabelText(/^Key/)).toHaveAccessibleDescription(
      /Each criterion needs its own key/,
    );
    expect(within(row(1)).getByLabelText(/^Key/)).not.toHaveAttribute("aria-invalid", "true");
    expect(maxScore).toHaveAccessibleDescription(/Must be at most 100/);
    expect(onSave).not.toHaveBeenCalled();
  });

  it("sends every part of the programme", async () => {
    const onSave = show();
    const user = await fillMinimum();
    await user.click(within(row(1)).getByRole("button", { name: "Add a score level to criterion 1" }));
    expect(within(row(1)).getByLabelText(/^Key/)).toHaveValue("impact"); // from the name, on leaving it
    await user.type(within(row(1)).getByLabelText(/^Score/), "5");
    await user.type(within(row(1)).getByLabelText(/^What this score means/), "Transforms the partnership");
    await user.click(screen.getByLabelText("A recognized partnership"));
    await user.type(screen.getByLabelText(/^Maximum population/), "100000");
    await user.type(screen.getByLabelText(/^Partner countries allowed/, { selector: "input:not([type=hidden])" }), "jp,mx,");
    await user.click(screen.getByLabelText(/^Blind review/));
    await user.click(screen.getByText("Create draft"));
    await waitFor(() => expect(onSave).toHaveBeenCalledOnce());
    const input = onSave.mock.calls[0]?.[0];
    expect(input).toMatchObject({
      name: "Youth exchanges",
      areas: ["YOUTH_EDUCATION"],
      currency: "USD",
      budgetCents: 2000000,
      maxAwardCents: 500000,
      opensAt: dayjs("2030-03-08T09:00:00").toISOString(),
      eligibility: {
        goodStandingRequired: true,
        partnershipRequirement: "RECOGNIZED",
        maxPopulation: 100000,
        allowedCountries: ["JP", "MX"],
        coolingOffYears: 0,
      },
      rubric: [{ key: "impact", name: "Impact", maxScore: 5, weight: 1, anchors: [{ score: 5, text: "Transforms the partnership" }] }],
      reviewersPerApplication: 2,
      blindReview: true,
      disagreementThreshold: 20,
      panel: [],
    });
  });

  it("shows the API's refusal next to the criterion it names", async () => {
    const refusal = {
      graphQLErrors: [
        { message: "criterion key 'impact' is used twice", extensions: { code: "BAD_USER_INPUT", field: "rubric[1].key" } },
      ],
    } as unknown as CombinedError;
    show(vi.fn(async () => refusal));
    const user = await fillMinimum();
    await user.click(screen.getByText("Add criterion"));
    await user.type(within(row(2)).getByLabelText(/^Criterion name/), "Reach");
    await user.click(screen.getByText("Create draft"));
    await waitFor(() =>
      expect(within(row(2)).getByLabelText(/^Key/)).toHaveAccessibleDescription(
        /Criterion key 'impact' is used twice/,
      ),
    );
  });
});

describe("the programme form's values", () => {
  it("names the API's fields as the form's", () => {
    expect(formPath("rubric[1].key")).toBe("rubric.1.key");
    expect(formPath("maxAwardCents")).toBe("maxAward");
    expect(formPath("eligibility.maxPopulation")).toBe("eligibility.maxPopulation");
    expect(formPath("rubric[0].anchors.score")).toBe("rubric.0.anchors");
    expect(formPath("id")).toBeNull();
  });

  it("reads a draft back as it was sent", () => {
    const program = {
      name: "P",
      description: "",
      areas: ["ARTS_CULTURE"],
      opensAt: "2030-03-08T09:00:00.000Z",
      closesAt: "2030-04-08T09:00:00.000Z",
      budgetCents: 100050,
      maxAwardCents: 5000,
      currency: "EUR",
      eligibility: {
        goodStandingRequired: false,
        partnershipRequirement: "NONE" as const,
        maxPopulation: null,
        allowedCountries: [],
        coolingOffYears: 2,
      },
      rubric: [{ key: "k", name: "K", maxScore: 4, weight: 1.5, anchors: [] }],
      reviewersPerApplication: 3,
      blindReview: false,
      disagreementThreshold: 15,
      panel: ["rev-ana"],
    };
    const input = toProgramInput(programValues(program));
    expect(input).toEqual({ ...program, eligibility: { ...program.eligibility }, rubric: program.rubric });
  });
});
