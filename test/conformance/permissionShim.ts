// Test-host stand-in for Electron's permission plumbing, which Chromium driven over CDP
// does not expose: there is no CDP event for "a page asked for a permission". In
// Electron, Chromium itself calls the session's permission-request and display-media
// handlers; here this shim, installed in the page's main world of every frame, routes
// the same requests to the very handlers hardenHostedSession installed, and calls the
// real API only if they grant. Serialized into the page: it must be self-contained.

export function permissionShim(ask: (permission: string, mediaTypes: string[]) => Promise<boolean>): void {
  const refused = () => new DOMException('Permission denied by Cordon', 'NotAllowedError');

  if (typeof Notification !== 'undefined') {
    const requestPermission = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = async () => ((await ask('notifications', [])) ? requestPermission() : 'denied');
  }

  const geolocation = navigator.geolocation;
  const getCurrentPosition = geolocation.getCurrentPosition.bind(geolocation);
  geolocation.getCurrentPosition = (success, error, options) => {
    void ask('geolocation', []).then((granted) => {
      if (granted) getCurrentPosition(success, error, options);
      else error?.({ code: 1, message: 'Permission denied by Cordon', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 });
    });
  };

  const media = navigator.mediaDevices as MediaDevices | undefined;
  if (media !== undefined) {
    const getUserMedia = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      const types = [constraints?.audio ? 'audio' : '', constraints?.video ? 'video' : ''].filter((t) => t !== '');
      if (!(await ask('media', types))) throw refused();
      return getUserMedia(constraints);
    };
    const getDisplayMedia = media.getDisplayMedia.bind(media);
    media.getDisplayMedia = async (options) => {
      if (!(await ask('display-capture', []))) throw refused();
      return getDisplayMedia(options);
    };
  }

  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (clipboard !== undefined) {
    const readText = clipboard.readText.bind(clipboard);
    const read = clipboard.read.bind(clipboard);
    clipboard.readText = async () => {
      if (!(await ask('clipboard-read', []))) throw refused();
      return readText();
    };
    clipboard.read = async () => {
      if (!(await ask('clipboard-read', []))) throw refused();
      return read();
    };
  }
}
