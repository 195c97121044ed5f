import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleGraphQLRequest } from "#graphql/yoga.ts";

// GraphiQL and GET queries arrive at the loader, POSTed operations at the action.
export function loader({ request, context }: LoaderFunctionArgs) {
  return handleGraphQLRequest(request, context);
}

export function action({ request, context }: ActionFunctionArgs) {
  return handleGraphQLRequest(request, context);
}
