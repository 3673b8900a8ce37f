// What the staff console shows of a payment; the refund mutation asks for the
// same fields, so the page updates from its answer.
import { graphql } from "../../../../gql";

export const StaffPaymentFields = graphql(`
  fragment StaffPaymentFields on Payment {
    id
    status
    purpose
    amountCents
    currency
    amountPaidCents
    amountRefundedCents
    invoiceId
    memberId
    fiscalYear
    band
    attempt
    checkoutSessionId
    paymentIntentId
    sessionExpiresAt
    paidAt
    createdAt
    flag
    flagDetail
    failureReason
    history {
      oldStatus
      newStatus
      changedAt
      source
      note
    }
    receipt {
      number
      issuedAt
      amountCents
      currency
      payer {
        memberId
        name
        email
      }
    }
    refunds {
      id
      amountCents
      currency
      reason
      status
      failure
      requestedBy
      createdAt
    }
    member {
      id
      name
      state
    }
  }
`);
