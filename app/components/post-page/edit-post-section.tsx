import { Link } from "@remix-run/react";
import { TextComposer } from "#app/components/social/composer.tsx";

/** The post's own text in an editable box, in place of its card. */
export function EditPostSection({
  postId,
  body,
  maxLength,
  errors,
}: {
  postId: string;
  body: string;
  maxLength: number;
  errors: string[] | undefined;
}) {
  return (
    <section
      id="edit"
      aria-labelledby="edit-heading"
      className="rounded-2xl border border-brand-100 bg-white p-4 shadow-sm"
    >
      <h2 id="edit-heading" className="mb-2 font-semibold">
        Edit your post
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Posts can be edited for 15 minutes after posting.{" "}
        <Link to={`/p/${postId}`} className="font-medium text-brand-800 underline">
          Cancel
        </Link>
      </p>
      <TextComposer
        intent="edit-post"
        label="Post text"
        submitLabel="Save"
        maxLength={maxLength}
        defaultValue={body}
        errors={errors}
      />
    </section>
  );
}
