// Starting a dues checkout: Stripe sends the payer back to these pages.
import { useState } from "react";
import { useMutation, type CombinedError } from "urql";

import { graphql } from "../../gql";

const MemberDuesCheckout = graphql(`
  mutation MemberDuesCheckout($invoiceId: ID!, $successUrl: String!, $cancelUrl: String!) {
    createDuesCheckout(invoiceId: $invoiceId, successUrl: $successUrl, cancelUrl: $cancelUrl) {
      paymentId
      checkoutUrl
      status
    }
  }
`);

export function checkoutUrls(invoiceId: string, origin = window.location.origin) {
  return {
    // Stripe puts the session's id in place of the placeholder.
    successUrl: `${origin}/member/invoices/${encodeURIComponent(invoiceId)}/paid?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}/member/invoices?cancelled=1`,
  };
}

/** Pay an invoice: open a checkout session and go to Stripe's page. */
export function usePayDues() {
  const [, execute] = useMutation(MemberDuesCheckout);
  const [paying, setPaying] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [noPage, setNoPage] = useState(false);

  const pay = async (invoiceId: string) => {
    setPaying(invoiceId);
    setError(null);
    setNoPage(false);
    const result = await execute({ invoiceId, ...checkoutUrls(invoiceId) });
    const url = result.data?.createDuesCheckout.checkoutUrl;
    if (url) {
      window.location.assign(url);
      return; // the page is leaving: keep the button busy
    }
    setPaying(null);
    if (result.error) setError(result.error);
    else setNoPage(true);
  };

  return { pay, paying, error, noPage };
}
