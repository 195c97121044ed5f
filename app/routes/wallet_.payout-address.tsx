import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import {
  PayoutAddressForm,
  type PayoutAddressAnswer,
} from "#app/components/payout-address-form.tsx";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { accountMailFor } from "#core/auth/account-mail.ts";
import { platformContractAddresses, setPayoutAddress } from "#core/wallet/payout-address.ts";

// "No browser wallet? Paste an address": the wallet page's form posts here. With JavaScript
// it is a fetcher and errors show in place; without, errors show on this page's own form.

export const meta: MetaFunction = () => [{ title: "Paste a payout address · Tributary" }];

export function loader({ context, request }: LoaderFunctionArgs) {
  requireViewer(context, request);
  return null;
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { services } = context;
  const form = await request.formData();
  const address = form.get("address");
  const password = form.get("password");
  const result = await setPayoutAddress(
    services.db,
    services.config,
    viewer.user.id,
    {
      address: typeof address === "string" ? address : "",
      password: typeof password === "string" ? password : "",
    },
    {
      ip: context.client.ip,
      platformAddresses: platformContractAddresses(services.settlement),
      mail: accountMailFor(services, request),
    },
  );
  if (result.ok) {
    throw redirect(`/wallet?payout=${result.value.isUnchanged ? "unchanged" : "added"}`);
  }
  const failure = result.error;
  const answer: PayoutAddressAnswer = {
    address: typeof address === "string" ? address.slice(0, 200) : "",
    fieldErrors:
      failure.kind === "validation"
        ? failure.fieldErrors
        : failure.kind === "wrong-password"
          ? { password: [failure.message] }
          : failure.kind === "address-taken"
            ? { address: [failure.message] }
            : {},
    formError: failure.kind === "rate-limited" ? failure.message : null,
  };
  return failure.kind === "rate-limited"
    ? data(answer, {
        status: 429,
        headers: { "Retry-After": String(failure.retryAfterSeconds) },
      })
    : data(answer, { status: 400 });
}

export default function PayoutAddressPage() {
  const answer = useActionData<typeof action>();
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4">
      <h1 className="text-2xl font-bold">Paste a payout address</h1>
      <section className="rounded-lg border border-slate-200 bg-white p-6">
        <PayoutAddressForm answer={answer ?? null} headingLevel={2} />
      </section>
      <p>
        <Link to="/wallet" className="font-medium text-brand-700 underline">
          Back to your wallet
        </Link>
      </p>
    </div>
  );
}
