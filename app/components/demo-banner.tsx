/** On every page while demo accounts exist: their passwords and wallet keys are published. */
export function DemoBanner() {
  return (
    <div role="note" aria-label="Demo data" className="bg-amber-100 text-amber-950">
      <p className="mx-auto max-w-5xl px-4 py-2 text-sm">
        <strong>Demo data is on.</strong> The demo accounts&apos; passwords and wallet keys are
        public, so anyone can sign in as them: do not use this instance for anything real.
      </p>
    </div>
  );
}
