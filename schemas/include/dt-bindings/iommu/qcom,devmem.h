/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * IOMMU attribute flags for the fourth cell of each qcom,devmem row
 * (see schemas/remoteproc/qcom,pas-common.yaml). The values are the
 * kernel's IOMMU_* prot bits; a row needs at least one of them and may
 * not use any other bit (IOMMU_PRIV, 0x20, and above are rejected).
 */
#ifndef _DT_BINDINGS_IOMMU_QCOM_DEVMEM_H
#define _DT_BINDINGS_IOMMU_QCOM_DEVMEM_H

#define QCOM_DEVMEM_READ	0x1
#define QCOM_DEVMEM_WRITE	0x2
#define QCOM_DEVMEM_CACHE	0x4
#define QCOM_DEVMEM_NOEXEC	0x8
#define QCOM_DEVMEM_MMIO	0x10

#endif
