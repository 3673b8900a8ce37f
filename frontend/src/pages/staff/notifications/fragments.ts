// What the staff console shows of an email; the resend mutation asks for the
// same fields, so the row updates from its answer.
import { graphql } from "../../../gql";

export const StaffNotificationFields = graphql(`
  fragment StaffNotificationFields on Notification {
    id
    kind
    recipient
    memberId
    reviewerId
    status
    subject
    messageId
    eventType
    attemptCount
    lastError
    createdAt
    nextAttemptAt
    sentAt
    attempts {
      number
      at
      outcome
      error
    }
  }
`);
