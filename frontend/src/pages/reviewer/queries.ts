import { graphql } from "../../gql";

/** The calling reviewer's assignments: the list page and each assignment's page read it. */
export const ReviewerAssignments = graphql(`
  query ReviewerAssignments {
    myReviewAssignments {
      assignmentId
      applicationId
      programId
      programName
      applicationTitle
      blind
      assignedAt
      status
      total
      submittedAt
      recusalReason
    }
  }
`);
