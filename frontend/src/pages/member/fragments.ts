// Fragments the member pages share (codegen inlines them where they are spread).
import { graphql } from "../../gql";

export const MemberReceiptFields = graphql(`
  fragment MemberReceiptFields on Receipt {
    number
    issuedAt
    payer {
      memberId
      name
      email
    }
    amountCents
    currency
    invoiceId
    fiscalYear
    paymentId
  }
`);

export const MemberPartnershipFields = graphql(`
  fragment MemberPartnershipFields on Partnership {
    id
    memberId
    memberName
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
    agreement {
      councilResolution
      signedOn
      usSignatory
      partnerSignatory
      documentReference
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
