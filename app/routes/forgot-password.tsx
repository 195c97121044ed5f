import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { SubmitButton, TextField } from "#app/components/form-field.tsx";
import { accountMailFor } from "#core/auth/account-mail.ts";
import {
  requestPasswordReset,
  requestPasswordResetInput,
  type RequestPasswordResetInput,
} from "#core/auth/password-reset.service.ts";

export const meta: MetaFunction = () => [{ title: "Forgot password · Tributary" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: requestPasswordResetInput });
  if (submission.status !== "success") return { result: submission.reply(), sent: null };
  const { services } = context;
  const result = await requestPasswordReset(
    services.db,
    accountMailFor(services, request),
    submission.value,
  );
  if (!result.ok) {
    return { result: submission.reply({ fieldErrors: result.error.fieldErrors }), sent: null };
  }
  return { result: submission.reply({ resetForm: true }), sent: result.value.message };
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<RequestPasswordResetInput>({ lastResult: actionData?.result });
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Forgot your password?</h1>
      <p className="mt-1 text-slate-700">
        Enter your account&apos;s email address and we will send you a link to choose a new
        password.
      </p>
      <p role="status" className="mt-3 text-brand-800">
        {actionData?.sent ?? ""}
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 flex flex-col gap-4">
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <SubmitButton isPending={navigation.state === "submitting"}>Send reset link</SubmitButton>
      </Form>
      <p className="mt-4 text-sm text-slate-700">
        Remembered it?{" "}
        <Link to="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </section>
  );
}
