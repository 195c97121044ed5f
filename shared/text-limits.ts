// Text limits that the server enforces and the browser needs too (a field's maxLength, a
// counter, a form's own check before it sends): both read these numbers, so a change
// reaches the rule and every form at once.

/** A post's body, in characters. */
export const POST_MAX_LENGTH = 500;
/** A comment's body, in characters. */
export const COMMENT_MAX_LENGTH = 500;
/** A profile's bio, in characters. */
export const BIO_MAX_LENGTH = 280;
/** What a report says is wrong, in characters. */
export const REPORT_REASON_MAX = 500;
/** A user's appeal of a held or refused reward, in characters once trimmed. */
export const APPEAL_MESSAGE_MIN_LENGTH = 5;
export const APPEAL_MESSAGE_MAX_LENGTH = 1000;
/** An admin's reason for deciding an appeal (the user sees it), in characters once trimmed. */
export const APPEAL_REASON_MIN_LENGTH = 3;
export const APPEAL_REASON_MAX_LENGTH = 1000;
