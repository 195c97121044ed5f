/** What activation still needs, in core's words; null once the account is activated. */
export type ActivationView = { missing: string[] } | null;

/** A short line for a newcomer: what activation still needs, and what waits for it. */
export function ActivationNotice({ activation }: { activation: ActivationView }) {
  if (!activation) return null;
  return (
    <section
      aria-labelledby="activation-heading"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="activation-notice"
    >
      <h2 id="activation-heading" className="font-semibold">
        Activate your account
      </h2>
      <p className="mt-1 text-sm text-slate-800">
        Your welcome bonus is paid when your account activates. Until then your daily check-ins are
        paid at once and your other rewards wait for it. Still to do:
      </p>
      <ul className="mt-1 list-disc pl-5 text-sm text-slate-800">
        {activation.missing.map((words) => (
          <li key={words}>{words}</li>
        ))}
      </ul>
    </section>
  );
}
