import { useRef } from 'react';
import type { ProtectionState, ProtectionStatus } from '../../common/posture/posture';
import { useModalDialog } from '../useModalDialog';

const STATE_WORDS: Record<ProtectionState, string> = {
  enforced: 'Enforced',
  'not-enforced': 'Not enforced',
  'not-available': 'Not available on this platform',
  'disabled-by-policy': 'Disabled by policy',
  'not-in-this-build': 'Not in this build',
};

/** Every protection and its state on this computer, in a modal dialog (Escape closes it). */
export function PosturePanel({ open, posture, onClose }: { open: boolean; posture: ProtectionStatus[]; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const dialog = useModalDialog(open, heading);

  return (
    <dialog ref={dialog} className="posture" aria-labelledby="posture-title" onClose={onClose}>
      <h2 id="posture-title" ref={heading} tabIndex={-1}>
        Security posture
      </h2>
      <p>What Cordon protects on this computer, and how.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Protection</th>
            <th scope="col">State</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {posture.map((item) => (
            <tr key={item.id} data-protection={item.id} data-state={item.state}>
              <th scope="row">{item.label}</th>
              <td>
                <span className={`badge ${item.state}`}>{STATE_WORDS[item.state]}</span>
              </td>
              <td>{item.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
