/* pb-form-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *pb_form_dialog_new (GtkWidget  *owner,
                                      const char *heading,
                                      const char *body,
                                      const char *accept_id,
                                      const char *accept_label,
                                      GtkWidget  *form);
GtkWidget        *pb_form_label      (const char *text,
                                      GtkWidget  *mnemonic_widget);

G_END_DECLS
