import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { commentInput, deleteCommentInput, firstError } from "#app/utils/post-forms.server.ts";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("the post page's forms", () => {
  it("an empty comment box reaches core as empty text, for core's own message", () => {
    const submission = parseWithZod(form({ intent: "comment", body: "" }), {
      schema: commentInput(false),
    });
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      body: "",
      parentId: null,
    });
  });

  it("a comment ignores a parent id; a reply takes it as a comment id", () => {
    const comment = parseWithZod(form({ body: "Hi", parentId: "12" }), {
      schema: commentInput(false),
    });
    expect(comment.status === "success" && comment.value.parentId).toBeNull();
    const reply = parseWithZod(form({ body: "Hi", parentId: "12" }), {
      schema: commentInput(true),
    });
    expect(reply.status === "success" && reply.value.parentId).toBe(12n);
  });

  it("a reply to no comment, or to a malformed id, is refused with the page's message", () => {
    for (const parentId of [undefined, "0", "abc", "99999999999999999999"]) {
      const fields: Record<string, string> = { body: "Hi" };
      if (parentId !== undefined) fields.parentId = parentId;
      const submission = parseWithZod(form(fields), { schema: commentInput(true) });
      expect(submission.status).toBe("error");
      expect(firstError(submission.reply(), "fallback")).toBe(
        "That reply is not to a comment here.",
      );
    }
  });

  it("deleting a comment needs a comment id", () => {
    const submission = parseWithZod(form({ commentId: "-4" }), { schema: deleteCommentInput });
    expect(firstError(submission.reply(), "fallback")).toBe("That comment does not exist.");
    const ok = parseWithZod(form({ commentId: "4" }), { schema: deleteCommentInput });
    expect(ok.status === "success" && ok.value.commentId).toBe(4n);
  });
});
