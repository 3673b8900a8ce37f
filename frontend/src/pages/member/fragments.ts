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

export const MemberApplicationFields = graphql(`
  fragment MemberApplicationFields on GrantApplication {
    id
    programId
    partnershipId
    partnerCity
    partnerCountry
    area
    title
    amountRequestedCents
    currency
    narrative
    budget {
      item
      amountCents
    }
    attachments {
      name
      ref
    }
    status
    createdAt
    updatedAt
    submittedAt
    ineligibilityReasons
    decidedAt
    declineReasons
    decisionLetter
    withdrawnAt
    award {
      id
      amountCents
      currency
      awardedAt
      agreementSignedAt
    }
  }
`);

export const MemberProgramFields = graphql(`
  fragment MemberProgramFields on GrantProgram {
    id
    name
    description
    areas
    opensAt
    closesAt
    maxAwardCents
    currency
    phase
    eligibility {
      goodStandingRequired
      partnershipRequirement
      maxPopulation
      allowedCountries
      coolingOffYears
    }
  }
`);
