// Checks a form makes before asking the API, with the message shown under the
// field. The API checks again and its BAD_USER_INPUT goes next to the field too.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const WEBSITE = /^https?:\/\/[^\s/]+\S*$/i;

export function emailError(value: string): string | null {
  return EMAIL.test(value.trim()) ? null : "Enter an email address such as clerk@city.gov";
}

/** A website is optional: empty is fine. */
export function websiteError(value: string): string | null {
  return !value.trim() || WEBSITE.test(value.trim()) ? null : "Enter a web address such as https://city.gov";
}
