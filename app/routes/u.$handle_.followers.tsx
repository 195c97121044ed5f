import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ConnectionsPage } from "#app/components/social/people-list.tsx";
import { loadConnections } from "#app/utils/social-connections.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Followers of @${data.owner.handle} · Tributary` : "Followers · Tributary" },
];

export const loader = (args: LoaderFunctionArgs) => loadConnections(args, "followers");

export default function FollowersPage() {
  return <ConnectionsPage {...useLoaderData<typeof loader>()} />;
}
