import { Form } from "@remix-run/react";
import { useId, type ComponentProps, type ComponentType } from "react";

export const PAYOUT_ADDRESS_ENDPOINT = "/wallet/payout-address";

/** What the payout-address action answers when it refuses (success redirects to /wallet). */
export type PayoutAddressAnswer = {
  /** What was typed, so the form keeps it; never the password. */
  address: string;
  fieldErrors: Record<string, string[]>;
  /** A refusal about the whole form, such as too many wrong passwords. */
  formError: string | null;
};

/**
 * "No browser wallet? Paste an address": an address and the current password. A plain
 * form, so it works without JavaScript; the wallet page passes a fetcher's Form so errors
 * show in place.
 */
export function PayoutAddressForm({
  answer,
  headingLevel = 3,
  FormAs = Form,
  isBusy = false,
}: {
  answer: PayoutAddressAnswer | null;
  headingLevel?: 2 | 3;
  FormAs?: ComponentType<ComponentProps<typeof Form>>;
  isBusy?: boolean;
}) {
  const id = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const addressErrors = answer?.fieldErrors.address ?? [];
  const passwordErrors = answer?.fieldErrors.password ?? [];
  const formErrors = [
    ...(answer?.fieldErrors[""] ?? []),
    ...(answer?.formError ? [answer.formError] : []),
  ];
  return (
    <div data-testid="payout-address-form">
      <Heading id={`${id}-heading`} className="font-semibold">
        No browser wallet? Paste an address
      </Heading>
      <p className="mt-1 text-sm text-slate-700">
        Paste an Ethereum address you control — from a wallet app or an exchange account that
        accepts MICRO on this chain. For your safety it receives settlements only after a
        cooling-off period, and we email you that it was added.
      </p>
      <FormAs
        method="post"
        action={PAYOUT_ADDRESS_ENDPOINT}
        aria-labelledby={`${id}-heading`}
        className="mt-3 flex flex-col gap-3"
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-address`} className="text-sm font-medium text-slate-800">
            Ethereum address
          </label>
          <input
            id={`${id}-address`}
            name="address"
            type="text"
            required
            inputMode="text"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="0x…"
            defaultValue={answer?.address ?? ""}
            aria-invalid={addressErrors.length > 0 || undefined}
            aria-describedby={addressErrors.length > 0 ? `${id}-address-error` : undefined}
            className="w-full rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900"
          />
          {addressErrors.length > 0 ? (
            <p id={`${id}-address-error`} className="text-sm text-red-800">
              {addressErrors.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-password`} className="text-sm font-medium text-slate-800">
            Current password
          </label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            required
            autoComplete="current-password"
            aria-invalid={passwordErrors.length > 0 || undefined}
            aria-describedby={passwordErrors.length > 0 ? `${id}-password-error` : undefined}
            className="w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 sm:max-w-xs"
          />
          {passwordErrors.length > 0 ? (
            <p id={`${id}-password-error`} className="text-sm text-red-800">
              {passwordErrors.join(" ")}
            </p>
          ) : null}
        </div>
        {formErrors.length > 0 ? (
          <p role="alert" className="text-sm text-red-800">
            {formErrors.join(" ")}
          </p>
        ) : null}
        <div>
          <button
            type="submit"
            disabled={isBusy}
            className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
          >
            {isBusy ? "Saving…" : "Use this address"}
          </button>
        </div>
      </FormAs>
    </div>
  );
}
