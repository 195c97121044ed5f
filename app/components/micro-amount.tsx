import { useRouteLoaderData } from "@remix-run/react";
import { formatMicroForDisplay, type DisplayAmount } from "#shared/money.ts";
import { formatReferenceValue, type ReferenceRate } from "#shared/reference-value.ts";

/** The part of the root loader's data amounts read: the reference rate, when one is set. */
type RootReference = { referenceValue?: ReferenceRate | null } | undefined;

/**
 * An amount in MICRO by the one display rule (formatMicroForDisplay: adaptive precision,
 * never raw base units), the exact base units in the `<data>` element's value for
 * machines, and what it is worth in the user's currency when a reference rate is set
 * ("0.0002 MICRO ≈ $0.0002"); a demo rate says so.
 */
export function MicroAmount({
  amount,
  isSigned = false,
  showReference = true,
  unitMayWrap = false,
  className,
}: {
  amount: DisplayAmount;
  isSigned?: boolean;
  /** In a narrow box (a phone's two-column cards) the unit may go below the number. */
  unitMayWrap?: boolean;
  /** Off where space is tight or the reference would repeat, e.g. inside a sentence about it. */
  showReference?: boolean;
  className?: string;
}) {
  const reference = (useRouteLoaderData("root") as RootReference)?.referenceValue ?? null;
  const text = formatMicroForDisplay(amount.units, { isSigned });
  // The number and its unit stay on one line (unless told otherwise); the reference value
  // may wrap below.
  const micro = unitMayWrap ? (
    <data value={amount.units}>
      <span className="whitespace-nowrap">{text}</span> MICRO
    </data>
  ) : (
    <data value={amount.units} className="whitespace-nowrap">
      {text} MICRO
    </data>
  );
  if (!showReference || !reference) {
    return className ? <span className={className}>{micro}</span> : micro;
  }
  return (
    <span className={className}>
      {micro}
      <ReferenceValue units={amount.units} rate={reference} isSigned={isSigned} />
    </span>
  );
}

/** " ≈ $0.0002", small and muted, with "(demo)" explained when the rate is made up. */
function ReferenceValue({
  units,
  rate,
  isSigned,
}: {
  units: string;
  rate: ReferenceRate;
  isSigned: boolean;
}) {
  const value = formatReferenceValue(units, rate);
  const signed = isSigned && BigInt(units) > 0n ? `+${value}` : value;
  return (
    <span className="text-[0.85em] font-normal whitespace-nowrap text-slate-600">
      {" ≈ "}
      {signed}
      {rate.isDemo ? (
        <>
          {" "}
          <abbr
            title={`A made-up demo rate (1 MICRO = ${rate.ratePerMicro} ${rate.currency}), not a price`}
            className="no-underline"
          >
            (demo)
          </abbr>
        </>
      ) : null}
    </span>
  );
}
