import type { MailMessage } from "./mail-transport.ts";

/** The words of the mail that account safety sends; links are whole URLs. */
export function verificationMessage(input: {
  to: string;
  displayName: string;
  link: string;
  validHours: number;
}): MailMessage {
  return {
    to: input.to,
    subject: "Confirm your email for Tributary",
    text: [
      `Hello ${input.displayName},`,
      "",
      "Please confirm that this is your email address by opening this link:",
      "",
      input.link,
      "",
      `The link works once, for ${input.validHours} hours. If you did not create a Tributary account, ignore this email.`,
    ].join("\n"),
  };
}

/**
 * To the owner of an address someone tried to sign up with: the sign-up page answers the
 * same for taken and new addresses, so this mail is where the owner learns of it.
 */
export function existingAccountMessage(input: {
  to: string;
  displayName: string;
  signInLink: string;
  resetLink: string;
}): MailMessage {
  return {
    to: input.to,
    subject: "Someone tried to sign up to Tributary with your email",
    text: [
      `Hello ${input.displayName},`,
      "",
      "Someone (maybe you) tried to sign up to Tributary with this address, but you already have an account, so we created nothing.",
      "",
      "To sign in with your password, open this link:",
      "",
      input.signInLink,
      "",
      "If you forgot your password, ask for a reset link here:",
      "",
      input.resetLink,
      "",
      "If it was not you, ignore this email: your account stays as it is.",
    ].join("\n"),
  };
}

export function passwordResetMessage(input: {
  to: string;
  link: string;
  validMinutes: number;
}): MailMessage {
  return {
    to: input.to,
    subject: "Reset your Tributary password",
    text: [
      "Someone (hopefully you) asked to reset the password of the Tributary account for this address.",
      "",
      "To choose a new password, open this link:",
      "",
      input.link,
      "",
      `The link works once, for ${input.validMinutes} minutes. Resetting signs you out everywhere.`,
      "If you did not ask, ignore this email: your password stays as it is.",
    ].join("\n"),
  };
}

export function signInAlertMessage(input: {
  to: string;
  failures: number;
  windowMinutes: number;
  resetLink: string;
}): MailMessage {
  return {
    to: input.to,
    subject: "Someone tried to sign in to your Tributary account",
    text: [
      `Someone tried to sign in to your account with a wrong password ${input.failures} times in the last ${input.windowMinutes} minutes.`,
      "",
      "If it was you, there is nothing to do: you can still sign in with your password.",
      "If it was not you, your account is safe as long as your password is strong and not used elsewhere.",
      "To change it, ask for a reset link here:",
      "",
      input.resetLink,
    ].join("\n"),
  };
}

/**
 * To the account's email when a payout address is pasted: the cooling-off is there so the
 * owner can stop a stranger who learnt the password before anything is paid to them.
 */
export function payoutAddressAddedMessage(input: {
  to: string;
  displayName: string;
  address: string;
  /** When it starts receiving, already in words ("9 Dec 2026, 14:00 UTC"). */
  receivesFrom: string;
  walletLink: string;
  resetLink: string;
}): MailMessage {
  return {
    to: input.to,
    subject: "A payout address was added to your Tributary account",
    text: [
      `Hello ${input.displayName},`,
      "",
      `A payout address ${input.address} was added to your Tributary account; it receives settlements from ${input.receivesFrom}.`,
      "",
      "If this was not you, change your password and remove the address before then:",
      "",
      `Remove it on your wallet page: ${input.walletLink}`,
      `Change your password: ${input.resetLink}`,
      "",
      "If it was you, there is nothing to do.",
    ].join("\n"),
  };
}
