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
