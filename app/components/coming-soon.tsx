/** The shell's placeholder for a section whose capability has not landed yet. */
export function ComingSoon({ title, text }: { title: string; text: string }) {
  return (
    <section className="flex flex-col gap-2">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
        {text}
      </p>
    </section>
  );
}
