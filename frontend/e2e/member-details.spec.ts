// A member's own user keeps the community's contact details current: the API's
// refusal sits next to its field and changes nothing; a good change is saved,
// shown on the overview, and is what the API then answers.
import { expect, signInThroughPage, test } from "./fixtures";

test("a member edits its contact details", async ({ page, api }) => {
  const tag = Date.now().toString(36);
  const registered = await api.graphql<{ registerMember: { id: string; name: string } }>(
    `mutation E2eDetailsMember($input: RegisterMemberInput!) { registerMember(input: $input) { id name } }`,
    {
      input: {
        name: `Detailsville ${tag}`,
        kind: "CITY",
        state: "OR",
        population: 12000,
        contactEmail: `clerk@${tag}.example`,
      },
    },
    "staff",
  );
  const { id, name } = registered.registerMember;

  await signInThroughPage(page, "member", { memberName: name });
  await expect(page).toHaveURL(/\/member$/);
  await page.getByRole("link", { name: "Edit contact details" }).click();
  await expect(page).toHaveURL(/\/member\/details$/);
  const email = page.getByRole("textbox", { name: "Contact email" });
  const website = page.getByRole("textbox", { name: "Website" });
  await expect(email).toHaveValue(`clerk@${tag}.example`);

  // Longer than any address the API keeps: refused next to the field.
  await website.fill(`https://${tag}.example/${"a".repeat(2100)}`);
  await email.fill(`dues@${tag}.example`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(website).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/at most 2048 characters/)).toBeVisible();
  const unchanged = await api.graphql<{ member: { contactEmail: string; website: string | null } }>(
    `query E2eDetailsBefore($id: ID!) { member(id: $id) { contactEmail website } }`,
    { id },
    "staff",
  );
  expect(unchanged.member).toEqual({ contactEmail: `clerk@${tag}.example`, website: null });

  await website.fill(`https://${tag}.example/sister-cities`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/member$/);
  await expect(page.getByText(`dues@${tag}.example`)).toBeVisible();
  await expect(page.getByRole("link", { name: `https://${tag}.example/sister-cities` })).toBeVisible();
  const after = await api.graphql<{ member: { contactEmail: string; website: string | null } }>(
    `query E2eDetailsAfter($id: ID!) { member(id: $id) { contactEmail website } }`,
    { id },
    "staff",
  );
  expect(after.member).toEqual({
    contactEmail: `dues@${tag}.example`,
    website: `https://${tag}.example/sister-cities`,
  });
});
