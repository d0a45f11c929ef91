// Shared DTS fixtures of the overlay tests: a small -@ base and overlays for it.

export const BASE = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "base";
	aliases { serial0 = &uart; };
	soc@0 {
		#address-cells = <1>;
		#size-cells = <1>;
		reg = <0 0x1000>;
		uart: serial@100 { reg = <0x100 0x10>; status = "disabled"; };
		pinctrl: pinctrl@200 {
			reg = <0x200 0x10>;
			cfg: cfg-state { pins = "gpio1"; };
		};
		user { pinctrl-0 = <&cfg>; };
	};
};
`;

export const OVERLAY = `/dts-v1/;
/plugin/;
&uart {
	status = "okay";
	pinctrl-0 = <&cfg>;
	child: sub { q = <&child &uart>; };
};
&{/soc@0} {
	mine: added { r = <&pinctrl 1>; };
};
`;

/** overlay that redefines a labelled base node, so its phandle changes (a conflict) */
export const CONFLICT = `/dts-v1/;\n/plugin/;\n&pinctrl {\n\tcfg2: cfg-state { pins = "gpio2"; };\n};\n&uart { pinctrl-0 = <&cfg2>; };\n`;
