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
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  FieldErrors,
  SubmitButton,
  TextField,
  useResetKeyAfterFailure,
} from "#app/components/form-field.tsx";
import { SignInWithEthereum } from "#app/components/sign-in-with-ethereum.tsx";
import { safeRedirectPath } from "#shared/safe-redirect.ts";
import { signInInput, type SignInInput } from "#core/auth/account-input.ts";
import { signIn } from "#core/auth/account.service.ts";
import { accountMailFor } from "#core/auth/account-mail.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · Tributary" }];

// Remix keeps an action's cookies by itself, but other headers only through this export.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export function loader({ context, request }: LoaderFunctionArgs) {
  if (context.viewer) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signInInput });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });

  const { services } = context;
  const result = await signIn(
    services.db,
    services.config,
    submission.value,
    { ...context.client, currentSessionId: context.viewer?.session.id ?? null },
    { mail: accountMailFor(services, request) },
  );
  if (!result.ok) {
    const failure = result.error;
    const reply =
      failure.kind === "validation"
        ? submission.reply({ fieldErrors: failure.fieldErrors, hideFields: ["password"] })
        : submission.reply({ formErrors: [failure.message], hideFields: ["password"] });
    return failure.kind === "rate-limited"
      ? data(reply, { status: 429, headers: { "Retry-After": String(failure.retryAfterSeconds) } })
      : reply;
  }
  throw redirect(safeRedirectPath(formData.get("redirectTo")), {
    headers: { "Set-Cookie": sessionCookie(result.value, services.config.cookieSecure) },
  });
}

export default function SignInPage() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<SignInInput>({ lastResult });
  const passwordKey = useResetKeyAfterFailure(lastResult);
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {searchParams.get("reset") === "done" ? (
        <p role="status" className="mt-2 text-brand-800">
          Your password is changed and every device was signed out. Sign in with the new one.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-6 flex flex-col gap-4">
        <div role="alert" aria-live="polite">
          <FieldErrors id={form.errorId} errors={form.errors} />
        </div>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <TextField
          key={passwordKey}
          field={fields.password}
          label="Password"
          type="password"
          autoComplete="current-password"
        />
        <SubmitButton isPending={navigation.state === "submitting"}>Sign in</SubmitButton>
      </Form>
      <p className="mt-3 text-sm">
        <Link to="/forgot-password" className="font-medium text-brand-700 underline">
          Forgot password?
        </Link>
      </p>
      <SignInWithEthereum redirectTo={searchParams.get("redirectTo") ?? "/"} />
      <p className="mt-4 text-sm text-slate-700">
        New here?{" "}
        <Link to="/signup" className="font-medium text-brand-700 underline">
          Create an account
        </Link>
      </p>
    </section>
  );
}
