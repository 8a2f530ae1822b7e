import { useRef } from 'react';
import { DEVICE_CHECK_PROTECTIONS, type ProtectionState, type ProtectionStatus } from '../../common/posture/posture';
import { useModalDialog } from '../useModalDialog';

const STATE_WORDS: Record<ProtectionState, string> = {
  enforced: 'Enforced',
  'not-enforced': 'Not enforced',
  'not-available': 'Not available on this platform',
  'disabled-by-policy': 'Disabled by policy',
  'not-in-this-build': 'Not in this build',
  passed: 'Passed',
  failed: 'Failed',
  unknown: 'Unknown',
};

/** A device check IT turned off is not a disabled protection: IT simply does not ask for it. */
const CHECK_STATE_WORDS: Record<ProtectionState, string> = { ...STATE_WORDS, 'disabled-by-policy': 'Not asked for by IT' };

/** The badge's colour, from the stylesheet's tones: good, caution, warning, quiet. */
const TONE: Record<ProtectionState, string> = {
  enforced: 'enforced',
  'not-enforced': 'not-enforced',
  'not-available': 'not-available',
  'disabled-by-policy': 'disabled-by-policy',
  'not-in-this-build': 'not-in-this-build',
  passed: 'enforced',
  failed: 'disabled-by-policy',
  unknown: 'not-enforced',
};

const DEVICE_ROWS: ReadonlySet<string> = new Set(Object.values(DEVICE_CHECK_PROTECTIONS));

function PostureTable({ caption, heading, rows, words }: { caption: string; heading: string; rows: ProtectionStatus[]; words: Record<ProtectionState, string> }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">State</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((item) => (
          <tr key={item.id} data-protection={item.id} data-state={item.state}>
            <th scope="row">{item.label}</th>
            <td>
              <span className={`badge ${TONE[item.state]}`}>{words[item.state]}</span>
            </td>
            <td>{item.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every protection and its state on this computer, then this computer's own checks, in a modal dialog (Escape closes it). */
export function PosturePanel({ open, posture, onClose }: { open: boolean; posture: ProtectionStatus[]; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const dialog = useModalDialog(open, heading);
  const protections = posture.filter((item) => !DEVICE_ROWS.has(item.id));
  const checks = posture.filter((item) => DEVICE_ROWS.has(item.id));

  return (
    <dialog ref={dialog} className="posture" aria-labelledby="posture-title" onClose={onClose}>
      <h2 id="posture-title" ref={heading} tabIndex={-1}>
        Security posture
      </h2>
      <p>What Cordon protects on this computer, and how.</p>
      <PostureTable caption="Cordon's protections" heading="Protection" rows={protections} words={STATE_WORDS} />
      <p>This computer's own settings, checked when you sign in and every hour. Where IT requires one, practice apps stay closed until it passes.</p>
      <PostureTable caption="This computer's checks" heading="Check" rows={checks} words={CHECK_STATE_WORDS} />
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
