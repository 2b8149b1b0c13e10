// Package escpos prints queue tickets on ESC/POS thermal printers, over the
// network (raw TCP, port 9100) or through a local device file
// (/dev/usb/lp0, a Windows printer port): Chinese text in GBK or GB18030
// inside the printer's Chinese mode, the ticket layout, the paper cut, and
// the printer's status where it answers. It knows nothing of the hall.
package escpos
