// A notification from the system (the HTML5 Notification API: Electron's renderer shows it as the OS's, a browser tab
// once the person allowed it). Asks for permission once; quietly does nothing where there is none.
let asked = false;

export function systemNotify(title: string, body: string, onClick: () => void): void {
  if (typeof Notification === 'undefined') return;
  const show = () => {
    const n = new Notification(title, { body, tag: `${title}\n${body}` });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  };
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default' && !asked) {
    asked = true;
    void Notification.requestPermission().then((p) => { if (p === 'granted') show(); }, () => undefined);
  }
}
