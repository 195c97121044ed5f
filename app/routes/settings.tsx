import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime } from "#app/components/date-time.tsx";
import { SubmitButton, TextField } from "#app/components/form-field.tsx";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { updateProfileInput, type UpdateProfileInput } from "#core/auth/account-input.ts";
import { accountMailFor } from "#core/auth/account-mail.ts";
import { updateProfile } from "#core/auth/account.service.ts";
import { resendVerificationEmail } from "#core/auth/email-verification.service.ts";
import { clearedSessionCookie } from "#core/auth/session-cookie.ts";
import { invalidateAllSessions, listSessions } from "#core/auth/session.service.ts";

export const meta: MetaFunction = () => [{ title: "Settings · Tributary" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db, config } = context.services;
  const sessions = await listSessions(db, config.session, viewer.user.id, { limit: 20 });
  return {
    user: {
      handle: viewer.user.handle,
      displayName: viewer.user.displayName,
      email: viewer.user.email,
      isEmailVerified: viewer.user.emailVerifiedAt != null,
    },
    sessions: sessions.map((session) => ({
      key: session.createdAt.toISOString() + session.id.slice(0, 4),
      createdAt: session.createdAt.toISOString(),
      lastActiveAt: session.lastVerifiedAt.toISOString(),
      userAgent: session.userAgent,
      isCurrent: session.id === viewer.session.id,
    })),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db, config } = context.services;
  const formData = await request.formData();
  if (formData.get("intent") === "sign-out-everywhere") {
    await invalidateAllSessions(db, viewer.user.id);
    throw redirect("/signin", {
      headers: { "Set-Cookie": clearedSessionCookie(config.cookieSecure) },
    });
  }
  if (formData.get("intent") === "resend-verification") {
    const sent = await resendVerificationEmail(
      db,
      accountMailFor(context.services, request),
      viewer.user.id,
    );
    return {
      result: undefined,
      saved: false,
      verification: sent.ok ? `We sent a new link to ${sent.value.sentTo}.` : sent.error.message,
    };
  }
  const submission = parseWithZod(formData, { schema: updateProfileInput });
  if (submission.status !== "success") return { result: submission.reply(), saved: false };
  const result = await updateProfile(db, viewer.user.id, submission.value);
  if (!result.ok) {
    return { result: submission.reply({ fieldErrors: result.error.fieldErrors }), saved: false };
  }
  return { result: submission.reply(), saved: true };
}

export default function SettingsPage() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<UpdateProfileInput>({
    lastResult: actionData?.result,
    defaultValue: { displayName: user.displayName },
  });
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section
        aria-labelledby="profile-heading"
        className="max-w-md rounded-lg border border-slate-200 bg-white p-6"
      >
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <p className="mt-1 text-sm text-slate-700">Your handle is @{user.handle}.</p>
        <p className="mt-1 text-sm">
          <Link to="/settings/profile" className="text-brand-800 underline hover:text-brand-700">
            Edit your public profile: avatar, bio and earnings
          </Link>
        </p>
        <Form method="post" {...getFormProps(form)} className="mt-4 flex flex-col gap-4">
          <input type="hidden" name="intent" value="update-profile" />
          <TextField field={fields.displayName} label="Display name" type="text" />
          <SubmitButton isPending={navigation.state === "submitting"}>Save</SubmitButton>
          <p role="status" className="text-sm text-brand-800">
            {actionData?.saved ? "Saved." : ""}
          </p>
        </Form>
      </section>
      <EmailStatus
        email={user.email}
        isVerified={user.isEmailVerified}
        notice={
          actionData && "verification" in actionData ? (actionData.verification ?? null) : null
        }
      />
      <section
        aria-labelledby="sessions-heading"
        className="rounded-lg border border-slate-200 bg-white p-6"
      >
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Where you are signed in
        </h2>
        <ul className="mt-3 divide-y divide-slate-200">
          {sessions.map((session) => (
            <li key={session.key} className="py-2 text-sm">
              <p className="font-medium break-words">
                {session.userAgent ?? "Unknown device"}
                {session.isCurrent ? " (this device)" : ""}
              </p>
              <p className="text-slate-600">
                Signed in <DateTime value={session.createdAt} /> · last active{" "}
                <DateTime value={session.lastActiveAt} />
              </p>
            </li>
          ))}
        </ul>
        <Form method="post" className="mt-4">
          <button
            type="submit"
            name="intent"
            value="sign-out-everywhere"
            className="rounded-md border border-red-800 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
          >
            Sign out everywhere
          </button>
        </Form>
      </section>
    </div>
  );
}

function EmailStatus(props: { email: string; isVerified: boolean; notice: string | null }) {
  return (
    <section
      aria-labelledby="email-heading"
      className="max-w-md rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="email-heading" className="text-lg font-semibold">
        Email
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {props.email} ·{" "}
        {props.isVerified ? (
          <span className="font-medium text-brand-800">verified</span>
        ) : (
          <span className="font-medium text-red-800">not verified yet</span>
        )}
      </p>
      {props.isVerified ? null : (
        <Form method="post" className="mt-3">
          <button
            type="submit"
            name="intent"
            value="resend-verification"
            className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50"
          >
            Send the verification link again
          </button>
        </Form>
      )}
      <p role="status" className="mt-2 text-sm text-brand-800">
        {props.notice ?? ""}
      </p>
    </section>
  );
}
