import { minidenticon } from "minidenticons";

/**
 * The avatar of a user who has not uploaded one: a symmetric 5×5 pattern in one of
 * nine hues, the same for the same id on every instance and every run. The SVG holds
 * only shapes and a colour computed from the id, never text a user wrote.
 */
export function identiconSvg(userId: string): string {
  return minidenticon(userId.toLowerCase());
}
