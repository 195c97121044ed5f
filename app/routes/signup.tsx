import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  redirect,
  type ActionFunctionArgs,
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
import { sessionCookie } from "#core/auth/session-cookie.ts";
import { grantWelcomeBonus } from "#core/rewards/check-in.ts";

export const meta: MetaFunction = () => [{ title: "Sign up · Tributary" }];

export function loader({ context }: LoaderFunctionArgs) {
  if (context.viewer) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signUpInput });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });

  const { services } = context;
  const result = await signUp(services.db, services.config, submission.value, context.client);
  if (!result.ok) {
    return submission.reply({ fieldErrors: result.error.fieldErrors, hideFields: ["password"] });
  }
  // The welcome bonus is a gift, not a condition: failing to grant it never fails the sign-up.
  const { user } = result.value;
  try {
    const welcome = await grantWelcomeBonus(services.rewards, user);
    if (!welcome.ok) {
      services.logger.error(
        { requestId: context.requestId, userId: user.id, error: welcome.error },
        "welcome bonus not granted",
      );
    }
  } catch (error) {
    services.logger.error(
      { requestId: context.requestId, userId: user.id, err: error },
      "welcome bonus failed",
    );
  }
  throw redirect("/", {
    headers: { "Set-Cookie": sessionCookie(result.value, services.config.cookieSecure) },
  });
}

export default function SignUpPage() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<SignUpInput>({ lastResult, shouldRevalidate: "onInput" });
  const passwordKey = useResetKeyAfterFailure(lastResult);
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Create your account</h1>
      <p className="mt-1 text-slate-700">Start earning from what you already do online.</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 flex flex-col gap-4">
        <FieldErrors id={form.errorId} errors={form.errors} />
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
