import { graphql } from "../../../gql";

/** A programme with everything staff see of it (the form, the programme page). */
export const StaffGrantsProgram = graphql(`
  query StaffGrantsProgram($id: ID!) {
    grantProgram(id: $id) {
      id
      name
      description
      areas
      opensAt
      closesAt
      budgetCents
      maxAwardCents
      currency
      eligibility {
        goodStandingRequired
        partnershipRequirement
        maxPopulation
        allowedCountries
        coolingOffYears
      }
      rubric {
        key
        name
        maxScore
        weight
        anchors {
          score
          text
        }
      }
      reviewersPerApplication
      blindReview
      disagreementThreshold
      status
      phase
      createdAt
      publishedAt
      panel
      awardedCents
      remainingCents
    }
  }
`);

/** The roster, for names wherever a reviewer id appears. */
export const StaffGrantsReviewers = graphql(`
  query StaffGrantsReviewers {
    reviewers {
      reviewerId
      name
      homeMemberId
      homeMemberName
      active
    }
  }
`);
