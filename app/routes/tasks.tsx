import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Tasks · Tributary" }];

export default function TasksPage() {
  return <ComingSoon title="Tasks" text="Surveys and small paid gig tasks will appear here." />;
}
