import { formatSignedMicro, type DisplayAmount } from "#shared/money.ts";

/**
 * An amount in MICRO at full precision (every base unit shows), with the exact base
 * units in the element's value and title for hovering and copying.
 */
export function MicroAmount({
  amount,
  isSigned = false,
  className,
}: {
  amount: DisplayAmount;
  isSigned?: boolean;
  className?: string;
}) {
  const text = isSigned ? formatSignedMicro(amount.units) : amount.micro;
  return (
    <data value={amount.units} title={`${amount.units} base units`} className={className}>
      {text} MICRO
    </data>
  );
}
