// What the staff console shows of a member; queries and mutations ask for the
// same fields, so the cache updates the page after each change.
import { graphql } from "../../../../gql";

export const StaffMemberFields = graphql(`
  fragment StaffMemberFields on Member {
    id
    name
    kind
    state
    population
    status
    goodStanding
    duesBand
    contactEmail
    website
    joinedOn
    invoices {
      id
      fiscalYear
      band
      amountCents
      fullAmountCents
      currency
      status
      issuedOn
      dueDate
      graceEndsOn
      prorated
      coveredDays
      yearDays
      payments {
        id
        status
        createdAt
      }
    }
    statusHistory {
      oldStatus
      newStatus
      goodStanding
      reason
      changedAt
      effectiveOn
    }
    partnerships {
      id
      partnerCity
      partnerRegion
      countryName
      type
      status
      recognized
      signedOn
      establishedYear
    }
  }
`);
