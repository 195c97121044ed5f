import { encodeFunctionData, parseAbi, toFunctionSelector } from "viem";
import { describe, expect, it } from "vitest";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";

describe("the distributor ABI the browser imports", () => {
  it("encodes a claim exactly as the signature the wallet used to spell by hand", () => {
    const handWritten = parseAbi([
      "function claim(address account, uint256 cumulativeAmount, bytes32[] proof) returns (uint256)",
    ]);
    const args = [
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      123456789012345678901234567890n,
      [`0x${"ab".repeat(32)}`, `0x${"cd".repeat(32)}`],
    ] as const;
    expect(encodeFunctionData({ abi: rewardsDistributorAbi, functionName: "claim", args })).toBe(
      encodeFunctionData({ abi: handWritten, functionName: "claim", args }),
    );
    expect(toFunctionSelector("claim(address,uint256,bytes32[])")).toBe(
      encodeFunctionData({ abi: handWritten, functionName: "claim", args }).slice(0, 10),
    );
  });
});
