import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import {
  FieldErrors,
  SubmitButton,
  TextField,
  useResetKeyAfterFailure,
} from "#app/components/form-field.tsx";
import { signUpInput, type SignUpInput } from "#core/auth/account-input.ts";
import { signUp } from "#core/auth/account.service.ts";
import { accountMailFor } from "#core/auth/account-mail.ts";
import { deviceCookie, newDeviceId, readDeviceId } from "#core/auth/device-cookie.ts";

export const meta: MetaFunction = () => [{ title: "Sign up · Tributary" }];

// Remix keeps an action's cookies by itself, but other headers only through this export.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export function loader({ context, request }: LoaderFunctionArgs) {
  if (context.viewer) throw redirect("/");
  // The browser's device id, a signal for the per-device sign-up limit.
  const cookie = request.headers.get("Cookie");
  if (readDeviceId(cookie)) return null;
  const setCookie = deviceCookie(newDeviceId(), context.services.config.cookieSecure);
  return data(null, { headers: { "Set-Cookie": setCookie } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signUpInput });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });

  const { services } = context;
  const deviceId = readDeviceId(request.headers.get("Cookie"));
  const result = await signUp(
    services.db,
    services.config,
    submission.value,
    { ...context.client, deviceId },
    { mail: accountMailFor(services, request) },
  );
  if (!result.ok) {
    const failure = result.error;
    if (failure.kind === "validation") {
      return submission.reply({ fieldErrors: failure.fieldErrors, hideFields: ["password"] });
    }
    const reply = submission.reply({ formErrors: [failure.message], hideFields: ["password"] });
    return data(reply, {
      status: 429,
      headers: { "Retry-After": String(failure.retryAfterSeconds) },
    });
  }
  // The same page whether the address was new or already had an account: only its mailbox
  // learns which (a verification link, or a note to the owner). No session either way.
  const headers = new Headers();
  if (!deviceId)
    headers.append("Set-Cookie", deviceCookie(newDeviceId(), services.config.cookieSecure));
  return data({ signUpStarted: { email: result.value.email } }, { headers });
}

export default function SignUpPage() {
  const outcome = useActionData<typeof action>();
  const started = outcome && "signUpStarted" in outcome ? outcome.signUpStarted : null;
  const lastResult = outcome && !("signUpStarted" in outcome) ? outcome : undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm<SignUpInput>({ lastResult, shouldRevalidate: "onInput" });
  const passwordKey = useResetKeyAfterFailure(lastResult);
  if (started) return <SignUpStarted email={started.email} />;
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Create your account</h1>
      <p className="mt-1 text-slate-700">Start earning from what you already do online.</p>
      <p className="mt-1 text-sm text-slate-600">
        We will email you a link to confirm your address. Disposable addresses are not accepted.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-6 flex flex-col gap-4">
        <div role="alert" aria-live="polite">
          <FieldErrors id={form.errorId} errors={form.errors} />
        </div>
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <TextField
          field={fields.handle}
          label="Handle"
          type="text"
          autoComplete="username"
          hint="3–20 letters, digits or underscores. People find you by it."
        />
        <TextField
          field={fields.displayName}
          label="Display name (optional)"
          type="text"
          autoComplete="name"
        />
        <TextField
          key={passwordKey}
          field={fields.password}
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
        />
        <SubmitButton isPending={navigation.state === "submitting"}>Sign up</SubmitButton>
      </Form>
      <p className="mt-4 text-sm text-slate-700">
        Already have an account?{" "}
        <Link to="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </section>
  );
}

function SignUpStarted({ email }: { email: string }) {
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Check your inbox</h1>
      <p role="status" className="mt-3 text-slate-700">
        Check your inbox at <strong className="break-all">{email}</strong>: open the link we sent to
        finish signing up (or sign in with your password).
      </p>
      <p className="mt-4 text-sm text-slate-700">
        <Link to="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </section>
  );
}
