from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.country_enum import CountryEnum, check_country_enum
from ..models.holder_verification_create_input_document_type_enum import (
    HolderVerificationCreateInputDocumentTypeEnum,
    check_holder_verification_create_input_document_type_enum,
)
from ..models.holder_verification_create_input_tier_enum import (
    HolderVerificationCreateInputTierEnum,
    check_holder_verification_create_input_tier_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="HolderVerificationCreateInputRequest")


@_attrs_define
class HolderVerificationCreateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            document_type (HolderVerificationCreateInputDocumentTypeEnum): * `passport` - passport
                * `national_id` - national_id
                * `driving_licence` - driving_licence
            country (CountryEnum): * `AD` - AD
                * `AE` - AE
                * `AF` - AF
                * `AG` - AG
                * `AI` - AI
                * `AL` - AL
                * `AM` - AM
                * `AO` - AO
                * `AQ` - AQ
                * `AR` - AR
                * `AS` - AS
                * `AT` - AT
                * `AU` - AU
                * `AW` - AW
                * `AX` - AX
                * `AZ` - AZ
                * `BA` - BA
                * `BB` - BB
                * `BD` - BD
                * `BE` - BE
                * `BF` - BF
                * `BG` - BG
                * `BH` - BH
                * `BI` - BI
                * `BJ` - BJ
                * `BL` - BL
                * `BM` - BM
                * `BN` - BN
                * `BO` - BO
                * `BQ` - BQ
                * `BR` - BR
                * `BS` - BS
                * `BT` - BT
                * `BV` - BV
                * `BW` - BW
                * `BY` - BY
                * `BZ` - BZ
                * `CA` - CA
                * `CC` - CC
                * `CD` - CD
                * `CF` - CF
                * `CG` - CG
                * `CH` - CH
                * `CI` - CI
                * `CK` - CK
                * `CL` - CL
                * `CM` - CM
                * `CN` - CN
                * `CO` - CO
                * `CR` - CR
                * `CU` - CU
                * `CV` - CV
                * `CW` - CW
                * `CX` - CX
                * `CY` - CY
                * `CZ` - CZ
                * `DE` - DE
                * `DJ` - DJ
                * `DK` - DK
                * `DM` - DM
                * `DO` - DO
                * `DZ` - DZ
                * `EC` - EC
                * `EE` - EE
                * `EG` - EG
                * `EH` - EH
                * `ER` - ER
                * `ES` - ES
                * `ET` - ET
                * `FI` - FI
                * `FJ` - FJ
                * `FK` - FK
                * `FM` - FM
                * `FO` - FO
                * `FR` - FR
                * `GA` - GA
                * `GB` - GB
                * `GD` - GD
                * `GE` - GE
                * `GF` - GF
                * `GG` - GG
                * `GH` - GH
                * `GI` - GI
                * `GL` - GL
                * `GM` - GM
                * `GN` - GN
                * `GP` - GP
                * `GQ` - GQ
                * `GR` - GR
                * `GS` - GS
                * `GT` - GT
                * `GU` - GU
                * `GW` - GW
                * `GY` - GY
                * `HK` - HK
                * `HM` - HM
                * `HN` - HN
                * `HR` - HR
                * `HT` - HT
                * `HU` - HU
                * `ID` - ID
                * `IE` - IE
                * `IL` - IL
                * `IM` - IM
                * `IN` - IN
                * `IO` - IO
                * `IQ` - IQ
                * `IR` - IR
                * `IS` - IS
                * `IT` - IT
                * `JE` - JE
                * `JM` - JM
                * `JO` - JO
                * `JP` - JP
                * `KE` - KE
                * `KG` - KG
                * `KH` - KH
                * `KI` - KI
                * `KM` - KM
                * `KN` - KN
                * `KP` - KP
                * `KR` - KR
                * `KW` - KW
                * `KY` - KY
                * `KZ` - KZ
                * `LA` - LA
                * `LB` - LB
                * `LC` - LC
                * `LI` - LI
                * `LK` - LK
                * `LR` - LR
                * `LS` - LS
                * `LT` - LT
                * `LU` - LU
                * `LV` - LV
                * `LY` - LY
                * `MA` - MA
                * `MC` - MC
                * `MD` - MD
                * `ME` - ME
                * `MF` - MF
                * `MG` - MG
                * `MH` - MH
                * `MK` - MK
                * `ML` - ML
                * `MM` - MM
                * `MN` - MN
                * `MO` - MO
                * `MP` - MP
                * `MQ` - MQ
                * `MR` - MR
                * `MS` - MS
                * `MT` - MT
                * `MU` - MU
                * `MV` - MV
                * `MW` - MW
                * `MX` - MX
                * `MY` - MY
                * `MZ` - MZ
                * `NA` - NA
                * `NC` - NC
                * `NE` - NE
                * `NF` - NF
                * `NG` - NG
                * `NI` - NI
                * `NL` - NL
                * `NO` - NO
                * `NP` - NP
                * `NR` - NR
                * `NU` - NU
                * `NZ` - NZ
                * `OM` - OM
                * `PA` - PA
                * `PE` - PE
                * `PF` - PF
                * `PG` - PG
                * `PH` - PH
                * `PK` - PK
                * `PL` - PL
                * `PM` - PM
                * `PN` - PN
                * `PR` - PR
                * `PS` - PS
                * `PT` - PT
                * `PW` - PW
                * `PY` - PY
                * `QA` - QA
                * `RE` - RE
                * `RO` - RO
                * `RS` - RS
                * `RU` - RU
                * `RW` - RW
                * `SA` - SA
                * `SB` - SB
                * `SC` - SC
                * `SD` - SD
                * `SE` - SE
                * `SG` - SG
                * `SH` - SH
                * `SI` - SI
                * `SJ` - SJ
                * `SK` - SK
                * `SL` - SL
                * `SM` - SM
                * `SN` - SN
                * `SO` - SO
                * `SR` - SR
                * `SS` - SS
                * `ST` - ST
                * `SV` - SV
                * `SX` - SX
                * `SY` - SY
                * `SZ` - SZ
                * `TC` - TC
                * `TD` - TD
                * `TF` - TF
                * `TG` - TG
                * `TH` - TH
                * `TJ` - TJ
                * `TK` - TK
                * `TL` - TL
                * `TM` - TM
                * `TN` - TN
                * `TO` - TO
                * `TR` - TR
                * `TT` - TT
                * `TV` - TV
                * `TW` - TW
                * `TZ` - TZ
                * `UA` - UA
                * `UG` - UG
                * `UM` - UM
                * `US` - US
                * `UY` - UY
                * `UZ` - UZ
                * `VA` - VA
                * `VC` - VC
                * `VE` - VE
                * `VG` - VG
                * `VI` - VI
                * `VN` - VN
                * `VU` - VU
                * `WF` - WF
                * `WS` - WS
                * `YE` - YE
                * `YT` - YT
                * `ZA` - ZA
                * `ZM` - ZM
                * `ZW` - ZW
            document_number (str): Letters and digits, at least four; spaces and hyphens are ignored. Only the last four are
                kept.
            tier (HolderVerificationCreateInputTierEnum | Unset): * `basic` - basic
                * `full` - full Default: 'full'.
    """

    document_type: HolderVerificationCreateInputDocumentTypeEnum
    country: CountryEnum
    document_number: str
    tier: HolderVerificationCreateInputTierEnum | Unset = "full"

    def to_dict(self) -> dict[str, Any]:
        document_type: str = self.document_type

        country: str = self.country

        document_number = self.document_number

        tier: str | Unset = UNSET
        if not isinstance(self.tier, Unset):
            tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "document_type": document_type,
                "country": country,
                "document_number": document_number,
            }
        )
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        document_type = check_holder_verification_create_input_document_type_enum(
            d.pop("document_type")
        )

        country = check_country_enum(d.pop("country"))

        document_number = d.pop("document_number")

        _tier = d.pop("tier", UNSET)
        tier: HolderVerificationCreateInputTierEnum | Unset
        if isinstance(_tier, Unset):
            tier = UNSET
        else:
            tier = check_holder_verification_create_input_tier_enum(_tier)

        holder_verification_create_input_request = cls(
            document_type=document_type,
            country=country,
            document_number=document_number,
            tier=tier,
        )

        return holder_verification_create_input_request
