import { z } from "zod";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "./password-policy.ts";

export const HANDLE_MIN_LENGTH = 3;
export const HANDLE_MAX_LENGTH = 20;
export const DISPLAY_NAME_MAX_LENGTH = 50;
export const EMAIL_MAX_LENGTH = 254;

// Handles that would be confused with the platform or its routes.
const reservedHandles = new Set([
  "admin",
  "administrator",
  "api",
  "graphql",
  "healthz",
  "moderator",
  "root",
  "settings",
  "signin",
  "signout",
  "signup",
  "support",
  "system",
  "tributary",
  "wallet",
]);

export const emailField = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX_LENGTH, `An email address has at most ${EMAIL_MAX_LENGTH} characters.`)
  .pipe(z.email({ error: "Enter an email address like name@example.com." }))
  .transform((email) => email.toLowerCase());

export const handleField = z
  .string({ error: "Choose a handle." })
  .trim()
  .min(1, "Choose a handle.")
  .transform((handle) => handle.replace(/^@/, "").toLowerCase())
  .pipe(
    z
      .string()
      .min(HANDLE_MIN_LENGTH, `A handle has at least ${HANDLE_MIN_LENGTH} characters.`)
      .max(HANDLE_MAX_LENGTH, `A handle has at most ${HANDLE_MAX_LENGTH} characters.`)
      .regex(/^[a-z0-9_]+$/, "A handle uses only letters, digits and underscores.")
      .refine((handle) => !reservedHandles.has(handle), "That handle is reserved."),
  );

export const displayNameField = z
  .string({ error: "Enter a display name." })
  .transform((name) => name.normalize("NFC").replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(1, "Enter a display name.")
      .max(
        DISPLAY_NAME_MAX_LENGTH,
        `A display name has at most ${DISPLAY_NAME_MAX_LENGTH} characters.`,
      )
      .refine(
        (name) => !/[\p{Cc}\p{Cf}]/u.test(name),
        "A display name cannot contain control or invisible characters.",
      ),
  );

const passwordField = z
  .string({ error: "Enter a password." })
  .min(1, "Enter a password.")
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

export const signUpInput = z
  .object({
    email: emailField,
    handle: handleField,
    displayName: displayNameField.optional(),
    password: passwordField,
  })
  .superRefine((input, ctx) => {
    const problem = passwordProblem(input.password, input);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type SignUpInput = z.input<typeof signUpInput>;

export const signInInput = z.object({
  email: emailField,
  password: passwordField,
});
export type SignInInput = z.input<typeof signInInput>;

export const updateProfileInput = z.object({ displayName: displayNameField });
export type UpdateProfileInput = z.input<typeof updateProfileInput>;
