import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Feed · Tributary" }];

export default function FeedPage() {
  return (
    <ComingSoon
      title="Feed"
      text="Posts from people you follow and what is trending will appear here."
    />
  );
}
