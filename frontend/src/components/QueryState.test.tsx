import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { CombinedError } from "urql";

import { QueryState } from "./QueryState";

const unavailable = new CombinedError({
  graphQLErrors: [new GraphQLError("partnerships is not answering", { extensions: { code: "UNAVAILABLE" } })],
});

function show(ui: React.ReactElement) {
  return render(<MantineProvider>{ui}</MantineProvider>);
}

describe("QueryState", () => {
  it("shows the unavailable banner with a retry that calls back", async () => {
    const retry = vi.fn();
    show(
      <QueryState result={{ fetching: false, error: unavailable }} onRetry={retry}>
        {() => <p>rows</p>}
      </QueryState>,
    );
    expect(screen.getByTestId("unavailable-banner")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("shows the empty state when the data is empty", () => {
    show(
      <QueryState result={{ fetching: false, data: { rows: [] } }} isEmpty={(d) => d.rows.length === 0} empty="No rows">
        {() => <p>rows</p>}
      </QueryState>,
    );
    expect(screen.getByText("No rows")).toBeInTheDocument();
  });

  it("shows the data", () => {
    show(<QueryState result={{ fetching: false, data: { n: 3 } }}>{(d) => <p>{d.n} rows</p>}</QueryState>);
    expect(screen.getByText("3 rows")).toBeInTheDocument();
  });
});
