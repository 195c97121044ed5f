import type { Page } from "playwright-core";
import { keccak256, stringToHex, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { writeSiweMessage } from "#shared/siwe-message-text.ts";

/**
 * A fixed, well-known test key per label: the same label always gives the same address,
 * different labels different ones. Never use these keys for anything real.
 */
export function testAccount(label: string): PrivateKeyAccount {
  return privateKeyToAccount(keccak256(stringToHex(`tributary test key: ${label}`)));
}

export type SiweFields = {
  domain: string;
  uri: string;
  nonce: string;
  chainId?: number;
  statement?: string;
  issuedAt?: Date;
  expirationTime?: Date;
  notBefore?: Date;
  scheme?: string;
};

/** An EIP-4361 message for `account`, as our wallet-connected pages write it. */
export function siweMessage(account: { address: `0x${string}` }, fields: SiweFields): string {
  return writeSiweMessage({
    address: account.address,
    statement: "Link this Ethereum address to my Tributary account.",
    ...fields,
    chainId: fields.chainId ?? 1,
    issuedAt: fields.issuedAt ?? new Date(),
  });
}

/** Writes the message for `account` and signs it with `signer` (the same account unless a test says otherwise). */
export async function signedSiweMessage(
  account: PrivateKeyAccount,
  fields: SiweFields,
  signer: PrivateKeyAccount = account,
): Promise<{ message: string; signature: Hex }> {
  const message = siweMessage(account, fields);
  return { message, signature: await signer.signMessage({ message }) };
}

/** What the injected provider reports and does; tests can flip these between steps. */
export type InjectedWallet = {
  account: PrivateKeyAccount;
  chainId: number;
  /** personal_sign requests seen, as the text the wallet would show. */
  signedMessages: string[];
  /** When set, the next personal_sign is refused as if the user pressed "Reject". */
  rejectNextSignature: boolean;
  /** Sends eth_sendTransaction's transaction (signed in Node); without it the wallet refuses. */
  sendTransaction?: (tx: { from: string; to: string; data: Hex }) => Promise<Hex>;
};

/**
 * Gives the page an EIP-1193 `window.ethereum` backed by a viem local account in Node:
 * eth_requestAccounts / eth_accounts / eth_chainId answer from `wallet`, personal_sign
 * signs in Node (the key never enters the page). Call before the first navigation.
 */
export async function injectEthereumProvider(page: Page, wallet: InjectedWallet): Promise<void> {
  await page.exposeFunction(
    "__tributaryTestWallet",
    async (method: string, params: unknown[]): Promise<unknown> => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [wallet.account.address];
        case "eth_chainId":
          return `0x${wallet.chainId.toString(16)}`;
        case "personal_sign": {
          const [data, address] = params as [Hex, string];
          if (address.toLowerCase() !== wallet.account.address.toLowerCase()) {
            return { error: { code: 4100, message: "The requested account is not authorised." } };
          }
          if (wallet.rejectNextSignature) {
            wallet.rejectNextSignature = false;
            return { error: { code: 4001, message: "User rejected the request." } };
          }
          const text = Buffer.from(data.slice(2), "hex").toString("utf8");
          wallet.signedMessages.push(text);
          return wallet.account.signMessage({ message: { raw: data } });
        }
        case "wallet_switchEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          wallet.chainId = Number.parseInt(chainId, 16);
          return null;
        }
        case "eth_sendTransaction": {
          if (!wallet.sendTransaction) {
            return { error: { code: 4200, message: "This test wallet cannot send transactions." } };
          }
          const [tx] = params as [{ from: string; to: string; data: Hex }];
          return wallet.sendTransaction(tx);
        }
        default:
          return { error: { code: 4200, message: `Unsupported method ${method}` } };
      }
    },
  );
  await page.addInitScript(() => {
    type Call = (method: string, params: unknown[]) => Promise<unknown>;
    const call = (window as unknown as { __tributaryTestWallet: Call }).__tributaryTestWallet;
    const provider = {
      isTributaryTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const result = await call(method, params ?? []);
        if (result && typeof result === "object" && "error" in result) {
          const { code, message } = (result as { error: { code: number; message: string } }).error;
          throw Object.assign(new Error(message), { code });
        }
        return result;
      },
      on() {},
      removeListener() {},
    };
    Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
  });
}
