// The statement the collector key signs where a disposed chain now starts: "chain `chain`
// had link `link` at `seq`, and everything through `seq` was disposed". Pure, so the
// evidence package's standalone verifier carries it too.

/** The chain name of a device's events in anchors and disposal records. */
export const deviceChain = (deviceId: string): string => `device:${deviceId}`;
/** The chain name of the console access log. */
export const ACCESS_LOG_CHAIN = 'access-log';

export function retentionAnchorMessage(chain: string, seq: number, linkHex: string): string {
  return `cordon-retention-anchor/1:${chain}:${seq}:${linkHex}`;
}
