import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { SubmitButton } from "#app/components/form-field.tsx";
import { signInWithVerifiedEmail } from "#core/auth/email-verification.service.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";
import { confirmEmailAndActivate } from "#core/integrity/activation.ts";

export const meta: MetaFunction = () => [{ title: "Confirm your email · Tributary" }];

// The token is in this page's URL: no other site may see it in a Referer. Not no-referrer:
// under it a browser sends `Origin: null` with the button's plain form post (JavaScript off),
// which the same-origin check rightly refuses.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin" });

export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

const verifyEmailForm = z.object({ token: z.string().catch("") });

/**
 * Verifying takes a press of a button (a POST): mail scanners that open every link in a
 * message would otherwise spend the single-use link before the person sees it.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = verifyEmailForm.parse(Object.fromEntries(await request.formData()));
  const { services } = context;
  const result = await confirmEmailAndActivate(services, token);
  if (!result.ok) return { isVerified: false, isSignedIn: false, message: result.error.message };
  const { user, activation } = result.value;
  // Sign-up opens no session: the link, proving the mailbox, finishes it by signing in.
  const signedIn = await signInWithVerifiedEmail(services.db, services.config.session, user, {
    ...context.client,
    isSignedIn: context.viewer !== null,
  });
  const welcome = activation?.isNewlyActivated
    ? " Your account is activated and your welcome bonus is on its way to your wallet."
    : "";
  const signedInWords = signedIn ? ` You are signed in as @${user.handle}.` : "";
  const outcome = {
    isVerified: true,
    isSignedIn: signedIn !== null || context.viewer?.user.id === user.id,
    message: `Thank you: ${user.email} is confirmed.${signedInWords}${welcome}`,
  };
  if (!signedIn) return outcome;
  return data(outcome, {
    headers: { "Set-Cookie": sessionCookie(signedIn, services.config.cookieSecure) },
  });
}

export default function VerifyEmailPage() {
  const { token } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Confirm your email</h1>
      {outcome ? (
        <p role={outcome.isVerified ? "status" : "alert"} className="mt-3">
          {outcome.message}
        </p>
      ) : (
        <Form method="post" className="mt-4 flex flex-col gap-4">
          <p className="text-slate-700">Press the button to confirm this address is yours.</p>
          <input type="hidden" name="token" value={token} />
          <SubmitButton isPending={navigation.state === "submitting"}>
            Confirm my email
          </SubmitButton>
        </Form>
      )}
      <p className="mt-4 text-sm">
        {outcome?.isSignedIn ? (
          <Link to="/" className="font-medium text-brand-700 underline">
            Go to your home page
          </Link>
        ) : (
          <Link to="/settings" className="font-medium text-brand-700 underline">
            Go to your settings
          </Link>
        )}
      </p>
    </section>
  );
}
