/** Shown on every page while the demo accounts exist: their passwords and keys are public. */
export function DemoBanner() {
  return (
    <p
      role="note"
      className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      Demo data is on: the demo accounts&apos; passwords and wallet keys are published, so anyone
      can sign in as them. Do not use this instance for real money.
    </p>
  );
}
