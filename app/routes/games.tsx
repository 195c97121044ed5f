import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Games · Tributary" }];

export default function GamesPage() {
  return (
    <ComingSoon title="Games" text="Mini-games with verified achievements will appear here." />
  );
}
