export const PASSWORD_MIN_LENGTH = 10;
// Argon2 cost grows with input; a cap keeps one request from tying up a core.
export const PASSWORD_MAX_LENGTH = 128;

// The most common passwords that meet the length rule, from public breach corpora.
const commonPasswords = new Set([
  "1234567890",
  "12345678910",
  "0123456789",
  "1111111111",
  "0000000000",
  "123123123123",
  "qwertyuiop",
  "qwerty123456",
  "1q2w3e4r5t",
  "1qaz2wsx3edc",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "abcdefghij",
  "abc1234567",
  "abcd123456",
  "letmein123",
  "welcome123",
  "football123",
  "baseball123",
  "sunshine123",
  "princess123",
  "dragon1234",
  "monkey1234",
  "trustno1234",
  "zaq12wsxcde",
  "asdfghjkl1",
  "asdfghjkl;",
  "qazwsxedcrfv",
  "tributary123",
  "changeme123",
]);

/** Returns what is wrong with a password, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  context: { handle?: string; email?: string },
): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return "This password is too common; choose another.";
  if (new Set(lower).size < 4) return "Use more different characters.";
  const handle = context.handle?.toLowerCase();
  if (handle && handle.length >= 3 && lower.includes(handle))
    return "Do not use your handle in your password.";
  const emailName = context.email?.toLowerCase().split("@")[0];
  if (emailName && emailName.length >= 3 && lower.includes(emailName))
    return "Do not use your email address in your password.";
  return null;
}
