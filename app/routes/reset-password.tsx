import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  FieldErrors,
  SubmitButton,
  TextField,
  useResetKeyAfterFailure,
} from "#app/components/form-field.tsx";
import {
  resetPassword,
  resetPasswordInput,
  type ResetPasswordInput,
} from "#core/auth/password-reset.service.ts";
import { clearedSessionCookie } from "#core/auth/session-cookie.ts";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Tributary" }];

// The token is in the address: no other site may learn it from a Referer header.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: resetPasswordInput });
  if (submission.status !== "success") return submission.reply({ hideFields: ["newPassword"] });
  const { services } = context;
  const result = await resetPassword(services.db, submission.value);
  if (!result.ok) {
    const failure = result.error;
    return failure.kind === "validation"
      ? submission.reply({ fieldErrors: failure.fieldErrors, hideFields: ["newPassword"] })
      : submission.reply({ formErrors: [failure.message], hideFields: ["newPassword"] });
  }
  // Every session ended, this browser's too: its cookie goes with it.
  throw redirect("/signin?reset=done", {
    headers: { "Set-Cookie": clearedSessionCookie(services.config.cookieSecure) },
  });
}

export default function ResetPasswordPage() {
  const { token } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<ResetPasswordInput>({ lastResult });
  const passwordKey = useResetKeyAfterFailure(lastResult);
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      <p className="mt-1 text-slate-700">Setting it signs your account out on every device.</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 flex flex-col gap-4">
        <div role="alert" aria-live="polite">
          <FieldErrors id={form.errorId} errors={form.errors} />
          <FieldErrors id={fields.token.errorId} errors={fields.token.errors} />
        </div>
        <input type="hidden" name="token" value={token} />
        <TextField
          key={passwordKey}
          field={fields.newPassword}
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
        />
        <SubmitButton isPending={navigation.state === "submitting"}>Set new password</SubmitButton>
      </Form>
      <p className="mt-4 text-sm text-slate-700">
        Link not working?{" "}
        <Link to="/forgot-password" className="font-medium text-brand-700 underline">
          Ask for a new one
        </Link>
      </p>
    </section>
  );
}
