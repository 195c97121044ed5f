import { z } from "zod";
import { BIO_MAX_LENGTH } from "#shared/text-limits.ts";
import { displayNameField } from "../auth/account-input.ts";

// Characters that reorder the text around them; in a bio they only serve to disguise.
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/u;
// Control characters other than the line breaks a bio may have.
const controlCharacters = /[\p{Cc}]/u;

export const bioField = z
  .string({ error: "A bio is text." })
  .transform((bio) =>
    bio
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      .replace(/\t/g, " ")
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
  )
  .pipe(
    z
      .string()
      .refine((bio) => [...bio].length <= BIO_MAX_LENGTH, {
        error: (issue) =>
          `A bio has at most ${BIO_MAX_LENGTH} characters (this one has ${[...String(issue.input)].length}).`,
      })
      .refine(
        (bio) => !controlCharacters.test(bio.replace(/\n/g, "")) && !bidiControls.test(bio),
        "A bio cannot contain control or text-direction characters.",
      ),
  );

/** A change to one's own profile; a field left out stays as it is. */
export const profileUpdateInput = z.object({
  displayName: displayNameField.optional(),
  bio: bioField.optional(),
  showsEarnings: z.boolean({ error: "Say yes or no to showing your earnings." }).optional(),
});
export type ProfileUpdateInput = z.input<typeof profileUpdateInput>;

/**
 * The profile settings form, which sends every field: an empty bio clears it and an
 * unticked box means "do not show" (a form leaves both out of what it posts).
 */
export const profileFormInput = z.object({
  displayName: displayNameField,
  bio: bioField.default(""),
  showsEarnings: z.boolean().default(false),
});
export type ProfileFormInput = z.input<typeof profileFormInput>;
