import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Wallet · Tributary" }];

export default function WalletPage() {
  return (
    <ComingSoon
      title="Wallet"
      text="Your available, pending, invested and settled rewards will appear here."
    />
  );
}
