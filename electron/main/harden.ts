import type { App, Session, WebContents } from 'electron';

/** Only these schemes may be requested by a page: our bundle, our media, and inline data. */
const LOCAL_SCHEMES = ['caudal-app:', 'caudal-media:', 'data:', 'blob:', 'devtools:', 'chrome-extension:'];

/**
 * App-wide guards, applied before any window opens: every response carries our CSP, nothing
 * remote is fetched (the app is offline by design and shows untrusted photos), no page navigates
 * away or opens windows (https links go to the system browser), downloads and every permission
 * request (camera, geolocation, notifications, HID, serial...) are denied.
 */
export function hardenSession(ses: Session, csp: string): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(details.url)?.[0].toLowerCase() ?? '';
    callback({ cancel: !LOCAL_SCHEMES.includes(scheme) });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}

export function denyNavigation(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only plain web links leave the app, and only to the system browser.
    if (/^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenApp(app: App, ses: Session, csp: string, openExternal: (url: string) => void): void {
  hardenSession(ses, csp);
  app.on('web-contents-created', (_e, contents) => denyNavigation(contents, openExternal));
}
