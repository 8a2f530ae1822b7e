// Endpoint protection Cordon recognises by its running process on macOS and Linux, which
// have no Security Center to ask. IT adds others in the policy
// (`devicePosture.antivirus.processNames`); a name that never runs never passes.
export const KNOWN_PROTECTION_PROCESSES: Record<'darwin' | 'linux', readonly { process: string; product: string }[]> = {
  darwin: [
    { process: 'falcond', product: 'CrowdStrike Falcon' },
    { process: 'wdavdaemon', product: 'Microsoft Defender for Endpoint' },
    { process: 'sentineld', product: 'SentinelOne' },
  ],
  linux: [
    { process: 'falcond', product: 'CrowdStrike Falcon' },
    { process: 'falcon-sensor', product: 'CrowdStrike Falcon' },
    { process: 'wdavdaemon', product: 'Microsoft Defender for Endpoint' },
    { process: 's1-agent', product: 'SentinelOne' },
    { process: 'clamd', product: 'ClamAV' },
  ],
};
