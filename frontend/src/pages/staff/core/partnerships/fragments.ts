// What the staff console shows of a partnership; every workflow mutation asks
// for the same fields, so the queue and the detail update from its answer.
import { graphql } from "../../../../gql";

export const StaffPartnershipFields = graphql(`
  fragment StaffPartnershipFields on Partnership {
    id
    memberId
    memberName
    memberState
    partnerCity
    partnerRegion
    country
    countryName
    continentName
    type
    status
    programAreas
    recognized
    signedOn
    establishedYear
    createdAt
    updatedAt
    agreement {
      councilResolution
      signedOn
      usSignatory
      partnerSignatory
      documentReference
    }
    member {
      id
      name
      state
      status
      goodStanding
    }
    history {
      action
      fromStatus
      toStatus
      at
      actor
      actorRole
      reason
    }
  }
`);
